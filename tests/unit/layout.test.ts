import { describe, expect, it } from "vitest";
import { definitionPaths, objectFolders, roleOf } from "../../definitions/compile/layout.ts";

describe("repository layout", () => {
  const paths = [
    "README.md",
    "hello.do.json",
    "nested/dir/billing.do.yaml",
    "crm.acme.com/do.yaml",
    "crm.acme.com/api/ping.js",
    "crm.acme.com/api/customers/create.js",
    "crm.acme.com/api/customers/README.md",
    "crm.acme.com/events/Customer.created.js",
    "crm.acme.com/schedules/every.hour.js",
    "crm.acme.com/site/index.md",
    "crm.acme.com/site/docs/intro.mdx",
    "crm.acme.com/app/dashboard.mdx",
    "crm.acme.com/lib/helper.js",
    "do.json",
    "api/root.js",
    "logo.png",
  ];

  it("finds the object folders, the repository root included", () => {
    expect([...objectFolders(paths)].sort()).toEqual(["", "crm.acme.com"]);
  });

  it.each([
    ["hello.do.json", { role: "single", id: "hello.do" }],
    ["nested/dir/billing.do.yaml", { role: "single", id: "billing.do" }],
    ["crm.acme.com/do.yaml", { role: "folder-definition", folder: "crm.acme.com" }],
    ["do.json", { role: "folder-definition", folder: "" }],
    ["crm.acme.com/api/customers/create.js", { role: "method", folder: "crm.acme.com", name: ["customers", "create"] }],
    ["crm.acme.com/events/Customer.created.js", { role: "event", folder: "crm.acme.com", pattern: "Customer.created" }],
    ["crm.acme.com/schedules/every.hour.js", { role: "schedule", folder: "crm.acme.com", pattern: "every.hour" }],
    ["crm.acme.com/site/index.md", { role: "page", folder: "crm.acme.com", area: "site", page: "/" }],
    ["crm.acme.com/site/docs/intro.mdx", { role: "page", folder: "crm.acme.com", area: "site", page: "/docs/intro" }],
    ["crm.acme.com/app/dashboard.mdx", { role: "page", folder: "crm.acme.com", area: "app", page: "/dashboard" }],
    ["api/root.js", { role: "method", folder: "", name: ["root"] }],
    ["crm.acme.com/lib/helper.js", null],
    ["crm.acme.com/api/customers/README.md", null],
    ["README.md", null],
    ["logo.png", null],
  ])("%s", (path, role) => {
    expect(roleOf(path, objectFolders(paths))).toEqual(role);
  });

  it("reads only the paths that take part in a definition", () => {
    expect(definitionPaths(paths)).not.toContain("logo.png");
    expect(definitionPaths(paths)).toHaveLength(12);
  });
});
