// `objects init [dir]`: a definitions repository with one object in each layout, a README, and git ready to push.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { DEFINITION_SCHEMA_PATH } from "../../schemas/index.ts";
import { CliError, EXIT } from "../errors.ts";
import type { Command } from "../command.ts";
import { serverUrl } from "../settings.ts";

/** The scaffold's files by path; `schema` is where editors fetch the definition's JSON Schema. */
export function scaffold(name: string, schema: string): Record<string, string> {
  const crm = `crm.${name}.example.com`;
  return {
    "hello.do.json": `${JSON.stringify({ $schema: schema, $type: "Greeter", api: { hello: { code: "async (name) => `Hello ${name}!`", params: ["name"], returns: "string" } } }, null, 2)}\n`,
    [`${crm}/do.yaml`]: `# yaml-language-server: $schema=${schema}\n$type: CRM\nconfig:\n  plan: pro\n`,
    [`${crm}/api/customers/create.js`]: "// customers.create({ name, email }): stores a customer and announces it.\nexport default async (data) => {\n  const customer = await $.db.Customer.create(data);\n  await $.emit('Customer.created', customer);\n  return customer;\n};\n",
    [`${crm}/api/customers/list.js`]: "export default async () => $.db.Customer.list();\n",
    [`${crm}/events/Customer.created.js`]: "export default async (customer) => $.db.Activity.create({ customer: customer.id, kind: 'created' });\n",
    [`${crm}/site/index.md`]: `# ${name} CRM\n\nCustomers so far: {(await $.db.Customer.list()).length}\n`,
    "README.md": [
      `# ${name}: objects.do definitions`,
      "",
      "Two objects, one in each layout: `hello.do.json` (one file) and `" + crm + "/` (a folder: `do.yaml`, `api/`,",
      "`events/`, `site/`). Each git push publishes them; every commit stays addressable as `<id>@<sha>`.",
      "",
      "```",
      "objects validate                 # the server's own compiler, file:line:col for every problem",
      "objects push                     # git push to objects.do (the remote is configured on first use)",
      'objects call hello.do hello \'"World"\'',
      `objects call ${crm} customers.create '{"name":"Ada"}'`,
      "objects versions hello.do        # every publication, with its commit and author",
      "objects logs " + crm + " --follow",
      "```",
      "",
    ].join("\n"),
  };
}

export const init: Command = {
  usage: "init [dir] [--no-git]",
  summary: "scaffold a definitions repository (one object per layout, a README) and git init it",
  options: { "no-git": { type: "boolean" } },
  async run({ positionals, values, out }) {
    const dir = resolve(positionals[0] ?? ".");
    if (existsSync(dir) && readdirSync(dir).some((name) => name !== ".git")) throw new CliError(`${dir} is not empty: init writes into a new or empty folder`, EXIT.problems);
    const name = basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "objects";
    const files = scaffold(name, `${serverUrl(values.url as string | undefined)}${DEFINITION_SCHEMA_PATH}`);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    let git = false;
    if (!values["no-git"] && !existsSync(join(dir, ".git"))) {
      try {
        execFileSync("git", ["init", "-q", "-b", "main", dir], { stdio: "ignore" });
        git = true;
      } catch {
        out.progress("git is not available: the folder was not made a repository");
      }
    }
    out.result([`created ${dir}`, ...Object.keys(files).map((path) => `  ${path}`), ...(git ? ["initialized an empty git repository (branch main)"] : []), "next: objects validate, then git commit and objects push"], { dir, files: Object.keys(files), git });
  },
};
