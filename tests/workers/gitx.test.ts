import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

describe("$.gitx", () => {
  it("commits the object's files, lists the history, checks out an older commit, and survives eviction", async () => {
    const id = unique("gitx");
    await api.put(id, {
      api: {
        write: "async (path, text) => $.fsx.write(path, text)",
        read: "async (path) => $.fsx.read(path)",
        remove: "async (path) => $.fsx.delete(path)",
        commit: "async (message) => $.gitx.commit(message)",
        history: "async () => $.gitx.history()",
        checkout: "async (ref) => $.gitx.checkout(ref)",
        list: "async () => $.fsx.list()",
      },
    }, token);
    await api.result(id, "write", ["/notes/a.md", "first"]);
    await api.result(id, "write", ["/b.txt", "bee"]);
    const first = (await api.result(id, "commit", ["first commit"])) as string;
    expect(first).toMatch(/^[0-9a-f]{40}$/);
    expect(await api.result(id, "commit", ["nothing changed"])).toBe(first);

    await api.result(id, "write", ["/notes/a.md", "second"]);
    await api.result(id, "remove", ["/b.txt"]);
    const second = (await api.result(id, "commit", ["second commit"])) as string;
    expect(second).not.toBe(first);

    const history = (await api.result(id, "history")) as Array<{ sha: string; message: string; author: string }>;
    expect(history.map((c) => [c.sha, c.message])).toEqual([[second, "second commit"], [first, "first commit"]]);
    expect(history[0]!.author).toBe(`${id} <production@${id}>`);

    // Evicted and restarted, the object still has its repository.
    const { evictDurableObject } = await import("cloudflare:test");
    await evictDurableObject(env.OBJECTS.get(env.OBJECTS.idFromName(`production:${id}`)));
    expect(((await api.result(id, "history")) as unknown[]).length).toBe(2);

    expect(await api.result(id, "checkout", [first.slice(0, 7)])).toBe(first);
    expect(await api.result(id, "read", ["notes/a.md"])).toBe("first");
    expect(await api.result(id, "read", ["b.txt"])).toBe("bee");
    expect(await api.result(id, "list")).toEqual(["/b.txt", "/notes/a.md"]);
  });

  it("refuses to check out a ref that does not exist, and keeps its files out of .git", async () => {
    const id = unique("gitx-bad");
    await api.put(id, { api: { go: "async () => { await $.fsx.write('a', 'x'); await $.gitx.commit('one'); return $.gitx.checkout('nope') }", sneak: "async () => $.fsx.write('/.git/config', 'evil')" } }, token);
    expect((await problem(await api.rpc(id, "go"), 500)).detail).toMatch(/GitxError: cannot check out nope/);
    expect((await problem(await api.rpc(id, "sneak"), 500)).detail).toMatch(/reserved for \$\.gitx/);
  });
});
