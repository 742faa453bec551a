// esbuild.do: esbuild (WebAssembly) as a service other Workers bind: `env.ESBUILD.transform(code, options)`.
// A Worker of its own: its 14 MB of WebAssembly would weigh on every start of objects.do itself.
import { WorkerEntrypoint } from "cloudflare:workers";
import * as esbuild from "esbuild-wasm/esm/browser.js";
import wasmModule from "esbuild-wasm/esbuild.wasm";

let ready: Promise<void> | undefined;
const initialized = () => (ready ??= esbuild.initialize({ wasmModule, worker: false }));

export default class EsbuildService extends WorkerEntrypoint {
  /** Over HTTP too: `POST /transform {"code", "options"}` and `POST /build {"entry", "files"}`. */
  override async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method !== "POST" || (pathname !== "/transform" && pathname !== "/build")) return new Response("esbuild.do: POST /transform or /build\n", { status: 404 });
    try {
      const body = (await request.json()) as { code?: string; options?: esbuild.TransformOptions; entry?: string; files?: Record<string, string> };
      const result = pathname === "/transform" ? await this.transform(body.code ?? "", body.options) : await this.build({ entry: body.entry ?? "/index.ts", files: body.files ?? {} });
      return Response.json(result);
    } catch (error) {
      return Response.json({ error: String((error as Error).message ?? error).slice(0, 2000) }, { status: 422 });
    }
  }

  /** `esbuild.transform`: TypeScript/JSX/modern JS in, JavaScript out. */
  async transform(code: string, options: esbuild.TransformOptions = {}): Promise<{ code: string; map: string; warnings: string[] }> {
    await initialized();
    const result = await esbuild.transform(String(code), { loader: "ts", format: "esm", ...options });
    return { code: result.code, map: result.map, warnings: result.warnings.map((w) => w.text) };
  }

  /** `esbuild.build` of in-memory files: `{ entry, files: { "/index.ts": "…" } }` → one bundle. */
  async build({ entry, files, options = {} }: { entry: string; files: Record<string, string>; options?: esbuild.BuildOptions }): Promise<{ code: string; warnings: string[] }> {
    await initialized();
    const result = await esbuild.build({
      ...options,
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "esm",
      plugins: [
        {
          name: "memory",
          setup(build) {
            build.onResolve({ filter: /.*/ }, (args) => ({ path: new URL(args.path, `file://${args.importer || "/"}`).pathname, namespace: "memory" }));
            build.onLoad({ filter: /.*/, namespace: "memory" }, (args) => {
              const contents = files[args.path];
              return contents === undefined ? { errors: [{ text: `no file ${args.path}` }] } : { contents, loader: args.path.endsWith(".js") ? "js" : "ts" };
            });
          },
        },
      ],
    });
    return { code: result.outputFiles?.[0]?.text ?? "", warnings: result.warnings.map((w) => w.text) };
  }
}
