import { describe, expect, it } from "vitest";
import { parseObjectPath, splitUrl } from "../../core/index.ts";
import { classifyControl } from "../../control-plane/index.ts";
import { parseHostTable, routeRequest } from "../../runtime/index.ts";

describe("parseObjectPath splits /<id>[@<ref>]/<rest>", () => {
  it.each([
    ["/my-app.do", { id: "my-app.do", rest: "/" }],
    ["/my-app.do/", { id: "my-app.do", rest: "/" }],
    ["/crm.acme.com/rpc", { id: "crm.acme.com", rest: "/rpc" }],
    ["/startup.do/tenant-123/rpc", { id: "startup.do/tenant-123", rest: "/rpc" }],
    ["/crm.acme.com/123", { id: "crm.acme.com/123", rest: "/" }],
    ["/crm.acme.com@v1.0.0/api/customers/list", { id: "crm.acme.com", ref: "v1.0.0", rest: "/api/customers/list" }],
    ["/crm.acme.com@%5E1/rpc", { id: "crm.acme.com", ref: "^1", rest: "/rpc" }],
    ["/crm.acme.com@latest/pricing", { id: "crm.acme.com", ref: "latest", rest: "/pricing" }],
    ["/startup.do/tenant-1@pr-4/__schema", { id: "startup.do/tenant-1", ref: "pr-4", rest: "/__schema" }],
    ["/x.do@feature%2Flogin/rpc", { id: "x.do", ref: "feature/login", rest: "/rpc" }],
    ["/x.do/versions", { id: "x.do", rest: "/versions" }],
  ])("%s", (path, expected) => {
    expect(parseObjectPath(path)).toEqual(expected);
  });

  it.each(["/", "/rpc", "/UPPER.do", "/-x.do", "/a..b/%E0%A4%A", "/__schema"])("finds no object in %s", (path) => {
    expect(parseObjectPath(path)).toBeNull();
  });
});

describe("routeRequest", () => {
  const hosts = parseHostTable(JSON.stringify({ "crm.acme.com": "crm.acme.com", "pinned.acme.com": "crm.acme.com@v1.0.0", "*.hq.sb": "*.hq.sb" }));

  it.each([
    ["https://crm.acme.com/api/customers/list", { id: "crm.acme.com", rest: "/api/customers/list", viaHost: true }],
    ["https://pinned.acme.com/rpc", { id: "crm.acme.com", ref: "v1.0.0", rest: "/rpc", viaHost: true }],
    ["https://tenant7.hq.sb/pricing", { id: "tenant7.hq.sb", rest: "/pricing", viaHost: true }],
    ["http://localhost:8787/my-app.do/rpc", { id: "my-app.do", rest: "/rpc" }],
    ["https://a.b.hq.sb/rpc", null],
  ])("%s", (url, expected) => {
    expect(routeRequest(new Request(url), hosts)).toEqual(expected);
  });

  it("maps nothing when the table is malformed", () => {
    expect(parseHostTable("not json")).toEqual({});
    expect(parseHostTable('["a"]')).toEqual({});
  });
});

describe("classifyControl", () => {
  const at = (method: string, path: string, accept = "*/*") => classifyControl(new Request(`http://x${path}`, { method, headers: { accept } }));

  it.each([
    ["PUT", "/my-app.do", { kind: "object", surface: "publish", object: { id: "my-app.do", rest: "/" } }],
    ["DELETE", "/my-app.do", { kind: "object", surface: "remove", object: { id: "my-app.do", rest: "/" } }],
    ["GET", "/my-app.do/versions", { kind: "object", surface: "versions", object: { id: "my-app.do", rest: "/versions" } }],
    ["POST", "/my-app.do@v1/rollback", { kind: "object", surface: "rollback", object: { id: "my-app.do", ref: "v1", rest: "/rollback" } }],
    ["GET", "/my-app.do/__calls", { kind: "object", surface: "calls", object: { id: "my-app.do", rest: "/__calls" } }],
    ["GET", "/_/objects/startup.do/tenant-1", { kind: "object", surface: "describe", object: { id: "startup.do/tenant-1", rest: "/" } }],
    ["POST", "/_/objects/x.do/versions", { kind: "management", path: "/_/objects/x.do/versions" }],
    ["GET", "/_/health", { kind: "management", path: "/_/health" }],
  ])("%s %s belongs to the control plane", (method, path, route) => {
    expect(at(method, path)).toEqual(route);
  });

  it("gives GET /<id> to the control plane only when JSON is asked for", () => {
    expect(at("GET", "/my-app.do", "application/json")).toMatchObject({ surface: "describe" });
    expect(at("GET", "/my-app.do", "text/html,application/json")).toBeNull();
  });

  it.each([
    ["POST", "/my-app.do/rpc"],
    ["GET", "/my-app.do/__schema"],
    ["GET", "/my-app.do/pricing/x"],
    ["POST", "/my-app.do/api/x"],
    ["POST", "/my-app.do/versions"],
    ["GET", "/my-app.do/rollback"],
  ])("leaves %s %s to the runtime", (method, path) => {
    expect(at(method, path)).toBeNull();
  });
});

describe("splitUrl", () => {
  it.each([
    "http://localhost:8787/my-app.do/rpc",
    "https://crm.acme.com/api/customers/list?x=1#frag",
    "https://user:pw@crm.acme.com:8443/a@v1/b?q=@",
    "http://[::1]:8787/x.do/rpc",
    "http://example.com",
    "http://example.com/?a=/b",
  ])("agrees with URL for %s", (text) => {
    const url = new URL(text);
    expect(splitUrl(text)).toEqual({ hostname: url.hostname, pathname: url.pathname });
  });
});
