import { describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { signToken } from "../support/tokens.ts";
import { api, token, unique } from "../support/worker-client.ts";

const mapHost = (host: string, target: unknown, bearer = token, method = "PUT") =>
  api.fetch(`/_/hostnames/${host}`, { method, headers: { authorization: `Bearer ${bearer}` }, ...(method === "PUT" ? { body: JSON.stringify({ target }) } : {}) });
const rpc = (host: string, method: string) => api.fetch("/rpc", { method: "POST", body: JSON.stringify({ method }) }, `http://${host}`);

describe("custom hostnames through the control plane", () => {
  it("maps a host to an object, serves its whole path space there, and unmaps it", async () => {
    const id = unique("hosted");
    await api.put(id, { api: { who: "async () => 'v1'" }, site: { "/": "# Home", "/about": "# About" } }, token, "?version=1.0.0");
    const host = `${id.replace(".do", "")}.customers.test`;
    const created = await mapHost(host, id);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ host, target: id, mappedBy: "tester" });
    expect(await (await rpc(host, "who")).json()).toEqual({ result: "v1" });
    const about = await api.fetch("/about", { headers: { accept: "text/html" } }, `http://${host}`);
    expect(await about.text()).toContain('<a href="/about" aria-current="page">About</a>');
    expect(((await (await api.fetch("/_/hostnames", { headers: { authorization: `Bearer ${token}` } })).json()) as { hostnames: Array<{ host: string }> }).hostnames.map((row) => row.host)).toContain(host);
    expect((await mapHost(host, null, token, "DELETE")).status).toBe(204);
    expect((await problem(await rpc(host, "who"), 404)).code).toBe("host-not-found");
  });

  it("pins a ref per hostname, and re-points it by moving the mapping", async () => {
    const id = unique("pinned");
    await api.put(id, { api: { v: "async () => 1" } }, token, "?version=1.0.0");
    await api.put(id, { api: { v: "async () => 2" } }, token, "?version=2.0.0");
    const host = `${id.replace(".do", "")}.pins.test`;
    expect((await mapHost(host, `${id}@v1.0.0`)).status).toBe(201);
    expect(await (await rpc(host, "v")).json()).toEqual({ result: 1 });
    expect((await mapHost(host, `${id}@latest`)).status).toBe(200);
    expect(await (await rpc(host, "v")).json()).toEqual({ result: 2 });
  });

  it("maps a wildcard host: each subdomain is the object of the same name", async () => {
    await api.put("acme.wild.test", { api: { who: "async () => $.$id" } }, token);
    expect((await mapHost("*.wild.test", "*.wild.test")).status).toBe(201);
    expect(await (await rpc("acme.wild.test", "who")).json()).toEqual({ result: "acme.wild.test" });
    expect((await problem(await rpc("a.b.wild.test", "who"), 404)).code).toBe("host-not-found");
  });

  it("answers forged and unknown hosts 404, never an object reached by path through them", async () => {
    const id = unique("forged");
    await api.put(id, { api: { who: "async () => 'me'" } }, token);
    await mapHost(`${id.replace(".do", "")}.real.test`, id);
    for (const host of [`${id.replace(".do", "")}.real.test.evil.test`, `evil.test`, `x${id.replace(".do", "")}.real.test`]) {
      expect((await problem(await api.fetch(`/${id}/rpc`, { method: "POST", body: '{"method":"who"}' }, `http://${host}`), 404)).code).toBe("host-not-found");
    }
  });

  it("lets only a token whose scope covers the object map a host, and never takes over another tenant's host", async () => {
    const mine = await signToken({ scope: "mine.do" });
    const theirs = await signToken({ scope: "theirs.do", claims: { sub: "them" } });
    await api.put("mine.do", { api: { x: "async () => 'mine'" } }, token);
    expect((await mapHost("www.mine.test", "mine.do", mine)).status).toBe(201);
    expect((await problem(await mapHost("www.theirs.test", "mine.do", theirs), 403)).code).toBe("scope-insufficient");
    expect((await problem(await mapHost("www.mine.test", "theirs.do", theirs), 404)).code).toBe("hostname-not-found");
    expect((await problem(await mapHost("www.mine.test", null, theirs, "DELETE"), 404)).code).toBe("hostname-not-found");
    expect(await (await rpc("www.mine.test", "x")).json()).toEqual({ result: "mine" });
    expect((await problem(await mapHost("*.any.test", "*.any.test", mine), 403)).code).toBe("scope-insufficient");
  });

  it("refuses bad hostnames and targets with a clear problem, and hosts fixed by HOSTNAMES", async () => {
    expect((await problem(await mapHost("not a host", "x.do"), 400)).code).toBe("hostname-invalid");
    expect((await problem(await mapHost("localhost", "x.do"), 400)).code).toBe("hostname-invalid");
    expect((await problem(await mapHost("ok.test", "x.do@not a ref"), 422)).detail).toMatch(/is not a ref/);
    expect((await problem(await mapHost("ok.test", "*.do"), 422)).detail).toMatch(/only a wildcard host/);
    expect((await problem(await mapHost("ok.test", 42), 422)).code).toBe("hostname-target-invalid");
    expect((await problem(await mapHost("crm.example.test", "x.do"), 409)).code).toBe("hostname-configured");
    expect((await problem(await mapHost("ok.test", "x.do", "bad-token"), 401)).code).toBe("token-invalid");
  });
});
