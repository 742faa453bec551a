import { describe, expect, it } from "vitest";
import { checkPublicUrl as checkRemoteUrl } from "../../core/index.ts";

describe("git remotes objects.do fetches from", () => {
  it.each(["https://github.com/acme/objects.git", "https://git.example.com:8443/a/b.git", "https://ghe.acme.corp/acme/objects.git"])("allows %s", (url) => {
    expect(checkRemoteUrl(url, false).href).toBe(new URL(url).href);
  });

  it.each([
    "http://github.com/acme/objects.git",
    "https://169.254.169.254/latest/meta-data",
    "https://localhost/x.git",
    "https://127.0.0.1:8787/x.git",
    "https://10.0.0.5/x.git",
    "https://172.20.1.1/x.git",
    "https://192.168.1.1/x.git",
    "https://[::1]/x.git",
    "https://[fd00::1]/x.git",
    "https://[::ffff:127.0.0.1]/x.git",
    "https://metadata.internal/x.git",
    "file:///etc/passwd",
    "https://user:token@github.com/a/b.git",
    "not a url",
  ])("refuses %s by default", (url) => {
    expect(() => checkRemoteUrl(url, false)).toThrowError(expect.objectContaining({ code: "remote-not-allowed", status: 422 }));
  });

  it("allows loopback over http only when the deployment says so", () => {
    expect(checkRemoteUrl("http://127.0.0.1:9418/acme.git", true).hostname).toBe("127.0.0.1");
    expect(() => checkRemoteUrl("file:///repo", true)).toThrowError(expect.objectContaining({ code: "remote-not-allowed" }));
  });
});
