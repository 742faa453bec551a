// A version only a branch published never runs on production's state: not through the hub, and not even when the
// production ObjectDO is asked directly (its own check, behind the Worker's).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { publishToRef } from "../support/publish-ref.ts";
import { api, token, unique } from "../support/worker-client.ts";

const client = (path: string) => (env as unknown as { HUB_CLIENT: Fetcher }).HUB_CLIENT.fetch(`http://client${path}`);
const hostOf = (id: string) => env.OBJECTS.get(env.OBJECTS.idFromName(`production:${id}`));

/** Publishes `api` to branch `feat` only, as a push of that branch would. */
const publishToBranch = (id: string, api: Record<string, unknown>) => publishToRef(id, { api }, "heads/feat");

const count = "async () => (await $.db.Customer.list()).length";

describe("a version production never published", () => {
  it("runs on the branch's state when the hub names it by hash", async () => {
    const id = unique("hub-branch");
    await api.put(id, { api: { count, ping: "async () => 'pong'", customers: { create: "async () => null" } } }, token);
    const hash = await publishToBranch(id, { count, ping: "async () => 'branch'", customers: { create: "async (c) => $.db.Customer.create(c)" } });
    const answer = (await (await client(`/create?id=${encodeURIComponent(`${id}@${hash.slice(0, 12)}`)}`)).json()) as { pong: string };
    expect(answer.pong).toBe("branch");
    expect(await api.result(id, "count")).toBe(0);
    expect(await api.result(`${id}@feat`, "count")).toBe(1);
  });

  it("is refused by the production ObjectDO itself, and runs on the branch's", async () => {
    const id = unique("do-branch");
    await api.put(id, { api: { count } }, token);
    const hash = await publishToBranch(id, { count, create: "async () => $.db.Customer.create({ name: 'x' })" });
    const call = (environment: string) => ({ id, environment, hash, label: `${id}@${hash.slice(0, 7)}`, method: "create", params: [] });
    expect(await hostOf(id).invoke(call("production"))).toMatchObject({ ok: false, failure: { code: "version-unreleased", kind: "forbidden" } });
    expect(await api.result(id, "count")).toBe(0);
    expect(await hostOf(id).invoke(call("branch-feat"))).toMatchObject({ ok: true });
    expect(await api.result(`${id}@feat`, "count")).toBe(1);
  });
});
