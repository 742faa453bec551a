import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
const [config, script, port, persist] = process.argv.slice(2);
const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
console.log(Object.keys(workerOptions));
const mf = new Miniflare({
  ...workerOptions,
  bindings: { ...workerOptions.bindings, JWT_SECRET: "bench-secret" },
  modules: [{ type: "ESModule", path: script }],
  modulesRoot: script.replace(/[^/]+$/, ""),
  scriptPath: script,
  port: Number(port), host: "127.0.0.1",
  defaultPersistRoot: persist,
});
await mf.ready;
console.log("ready", port);
