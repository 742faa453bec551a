// `npm start`: objects.do on http://localhost:8787, served straight from workerd through Miniflare.
// wrangler bundles the Worker (esbuild, no network; into a directory of this run, build-dir.ts) and supplies the
// bindings of wrangler.jsonc; state is kept where wrangler dev keeps it (.wrangler/state). Measured against
// `wrangler dev` in BENCHMARKS.md: see README.
// `--with-esbuild` also runs esbuild.do (services/esbuild) beside it, bound as ESBUILD; `--with-worker <wrangler config>`
// runs a Worker of yours beside it on its own port, its `services` binding to `objects-do` (the hub) resolved here.
// The URL is written where the CLI finds it (local-server.ts); a port already in use stops it before building.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { Log, LogLevel, Miniflare, type MiniflareOptions, type WorkerOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { parse as parseJsonc } from "jsonc-parser";
import { ensureDevVars, ROOT } from "./dev-vars.mjs";
import { createSupervisor, type SupervisorState } from "./supervisor.ts";
import { runtimeUsage } from "./runtime-usage.ts";
import { announceLocalServer, portInUse } from "./local-server.ts";
import { runBuildDir } from "./build-dir.ts";
import { createRequire } from "node:module";

// The workerd the tests' pool runs (the newest installed), not the one miniflare 4 pins: one engine for both, and
// 1.20260426.1 aborts now and then on an isolate shutdown (jsg/setup.c++ "defer destruction during isolate shutdown").
process.env.MINIFLARE_WORKERD_PATH ??= (createRequire(import.meta.url)("workerd") as { default: string }).default;

const { values } = parseArgs({
  options: {
    config: { type: "string", short: "c", default: "wrangler.jsonc" },
    port: { type: "string", default: process.env.PORT ?? "8787" },
    ip: { type: "string", default: process.env.HOST ?? "127.0.0.1" },
    "persist-to": { type: "string", default: ".wrangler/state" },
    var: { type: "string", multiple: true, default: [] },
    "with-esbuild": { type: "boolean", default: false },
    // `<config>[:<port>]`, repeatable: the Worker answers on that port (a free one when none is given).
    "with-worker": { type: "string", multiple: true, default: [] },
    // Without the supervisor: nothing restarts a frozen or crashed runtime (and calls print no in-flight lines).
    unsupervised: { type: "boolean", default: false },
    // An idle runtime holding more than this many MB is restarted after this many seconds (see supervisor.ts).
    "release-idle-after": { type: "string", default: "600" },
    "release-idle-over": { type: "string", default: "400" },
  },
});

/** Bundles one Worker with wrangler and returns Miniflare's options for it. */
function worker(configFile: string, name: string): WorkerOptions & { name: string } {
  const config = resolve(ROOT, configFile);
  const outdir = resolve(buildDir, configFile.replace(/[^A-Za-z0-9]+/g, "-"));
  const built = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir, "-c", config], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { WRANGLER_SEND_METRICS: "false", ...process.env },
  });
  const script = existsSync(outdir) ? readdirSync(outdir).find((name) => name.endsWith(".js")) : undefined;
  if (built.status !== 0 || !script) {
    console.error(`objects.do: ${configFile} did not build (wrangler deploy --dry-run failed)`);
    process.exit(1);
  }
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  return { ...(workerOptions as WorkerOptions), name, modules: true, modulesRoot: outdir, scriptPath: resolve(outdir, script) } as WorkerOptions & { name: string };
}

if (await portInUse(values.ip, Number(values.port))) {
  console.error(`objects.do: port ${values.port} is in use (another npm start?): stop it, or start on another port with PORT=<port> npm start`);
  process.exit(1);
}

const buildDir = runBuildDir(resolve(ROOT, ".wrangler/build"));
const extraVars = Object.fromEntries(values.var.map((pair) => [pair.slice(0, pair.indexOf(":")), pair.slice(pair.indexOf(":") + 1)]));
// The name keys the Durable Objects' local state: it stays "objects-do" whatever the config file.
const main = worker(values.config, "objects-do");
const esbuild = values["with-esbuild"] ? worker("services/esbuild/wrangler.jsonc", "esbuild-do") : undefined;
/** Your Workers: named as their config says, each on a socket of its own. */
const yours = values["with-worker"].map((spec) => {
  const [, file = spec, port] = /^(.*?)(?::(\d+))?$/.exec(spec)!;
  const config = parseJsonc(readFileSync(resolve(process.cwd(), file), "utf8")) as { name?: string } | undefined;
  const name = config?.name ?? file.replace(/[^A-Za-z0-9]+/g, "-");
  return { ...worker(resolve(process.cwd(), file), name), unsafeDirectSockets: [{ host: values.ip, port: Number(port ?? 0) }] };
});
const persistRoot = resolve(process.cwd(), values["persist-to"]);
// A new secret per run: the Worker and the supervisor know it, definitions never do (they cannot forge its lines).
const marker = `od-${randomUUID()}`;
const supervisor = values.unsupervised
  ? undefined
  : createSupervisor({
      marker,
      stateFile: resolve(persistRoot, "supervisor.json"),
      restart: async (state) => {
        await miniflare.setOptions(optionsFor(state));
      },
      probe: async (timeoutMs) => {
        try {
          return (await fetch(`http://127.0.0.1:${values.port}/_/health`, { signal: AbortSignal.timeout(timeoutMs) })).ok;
        } catch {
          return false;
        }
      },
      report: async (quarantines) => {
        const response = await fetch(`http://127.0.0.1:${values.port}/_/supervisor/quarantine`, { method: "POST", headers: { "x-objects-supervisor": marker }, body: JSON.stringify({ quarantines }), signal: AbortSignal.timeout(10_000) });
        if (!response.ok) throw new Error(`the Worker did not take the quarantine: ${response.status} ${await response.text()}`);
      },
      print: (line) => console.error(line),
      // Judged by the runtime's CPU where /proc tells it: a busy machine slows a yielding call, it does not freeze it.
      ...(existsSync("/proc/self/stat") ? { runtimeCpuMs: () => runtimeUsage(process.pid).cpuMs } : {}),
      idle: { afterMs: Number(values["release-idle-after"]) * 1000, overMb: Number(values["release-idle-over"]), sample: () => runtimeUsage(process.pid) },
      ...(process.env.SUPERVISOR_PROBE_TIMEOUT_MS ? { probeTimeoutMs: Number(process.env.SUPERVISOR_PROBE_TIMEOUT_MS) } : {}),
    });

function optionsFor(state?: SupervisorState): MiniflareOptions {
  const supervision = supervisor ? { SUPERVISOR_MARKER: marker, SUPERVISOR_TRUST_AFTER: state?.careful ? "0" : "100", SUPERVISOR_STATE: JSON.stringify({ restarts: state?.restarts ?? 0, releases: state?.releases ?? 0, incidents: (state?.incidents ?? []).slice(-5) }), SUPERVISOR_QUARANTINES: JSON.stringify((state?.pending ?? []).slice(-100)) } : {};
  return {
    workers: [
      {
        ...main,
        bindings: { ...main.bindings, ...ensureDevVars(), ...extraVars, ...supervision },
        ...(esbuild ? { serviceBindings: { ...main.serviceBindings, ESBUILD: esbuild.name } } : {}),
      },
      ...(esbuild ? [esbuild] : []),
      ...yours,
    ],
    host: values.ip,
    port: Number(values.port),
    defaultPersistRoot: resolve(persistRoot, "v3"),
    log: new Log(LogLevel.WARN),
    // No request to Cloudflare for the `cf` object: the machine may be offline.
    cf: false,
    ...(supervisor ? { handleRuntimeStdio: (stdout: Readable, stderr: Readable) => supervisor.attach(stdout, stderr) } : {}),
    ...(process.env.INSPECTOR_PORT ? { inspectorPort: Number(process.env.INSPECTOR_PORT) } : {}),
  };
}

const miniflare = new Miniflare(optionsFor(supervisor?.state()));
const url = await miniflare.ready;
console.log(`${values.config === "wrangler.jsonc" ? "objects.do" : values.config} on http://localhost:${url.port} (state in ${values["persist-to"]})${esbuild ? " with esbuild.do" : ""}`);
for (const { name } of yours) console.log(`${name} on http://localhost:${(await miniflare.unsafeGetDirectURL(name)).port} (env.DO: the hub)`);
const forget = announceLocalServer(`http://localhost:${url.port}`);
await supervisor?.catchUp().catch((error: Error) => console.error(`objects.do: quarantines of an earlier run were not taken: ${error.message}`));
supervisor?.watch();

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    forget();
    void miniflare.dispose().finally(() => process.exit(0));
  });
}
