// recheck's pure-JavaScript build (the one a Worker can run), typed as the package's own entry.
declare module "recheck/lib/browser.js" {
  export { checkSync } from "recheck";
}
