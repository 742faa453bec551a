// The WebAssembly module wrangler hands over for a `.wasm` import.
declare module "esbuild-wasm/esbuild.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
