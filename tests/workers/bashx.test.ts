import { describe, expect, it } from "vitest";
import { api, token, unique } from "../support/worker-client.ts";

describe("$.bashx", () => {
  it("runs shell commands over the object's files, writing back what they change", async () => {
    const id = unique("bashx");
    await api.put(id, {
      api: {
        write: "async (path, text) => $.fsx.write(path, text)",
        read: "async (path) => $.fsx.read(path)",
        list: "async () => $.fsx.list()",
        sh: "async (command) => $.bashx.exec(command)",
      },
    }, token);
    await api.result(id, "write", ["/data/people.csv", "name,age\nAda,36\nAlan,41\n"]);
    const grep = (await api.result(id, "sh", ["grep Ada /data/people.csv | cut -d, -f2"])) as { stdout: string; exitCode: number };
    expect(grep).toEqual({ stdout: "36\n", stderr: "", exitCode: 0 });
    expect(await api.result(id, "sh", ["mkdir -p /out && sort -r /data/people.csv > /out/sorted.csv && rm /data/people.csv"])).toMatchObject({ exitCode: 0 });
    expect(await api.result(id, "list")).toEqual(["/out/sorted.csv"]);
    expect(await api.result(id, "read", ["out/sorted.csv"])).toBe("name,age\nAlan,41\nAda,36\n");
  });

  it("answers an unsupported command with stderr and a non-zero exit code, and never reaches a host process", async () => {
    const id = unique("bashx-bad");
    await api.put(id, { api: { sh: "async (command) => $.bashx.exec(command)" } }, token);
    const missing = (await api.result(id, "sh", ["definitely-not-a-command --now"])) as { stderr: string; exitCode: number };
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toMatch(/command not found|not found/);
    const curl = (await api.result(id, "sh", ["curl -s http://169.254.169.254/"])) as { exitCode: number };
    expect(curl.exitCode).not.toBe(0);
  });

  it("stops a runaway script at its limits", async () => {
    const id = unique("bashx-loop");
    await api.put(id, { api: { sh: "async (command) => $.bashx.exec(command)" } }, token);
    const loop = (await api.result(id, "sh", ["while true; do echo x; done"])) as { stderr: string; exitCode: number; stdout: string };
    expect(loop.exitCode).not.toBe(0);
    expect(loop.stdout.length).toBeLessThanOrEqual(1_048_576 + 32);
  });
});
