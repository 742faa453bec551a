import { describe, expect, it } from "vitest";
import { scopeCovers, scopesOf } from "../../control-plane/index.ts";
import { matchesEvent, matchingHandlers } from "../../runtime/index.ts";

describe("scopeCovers", () => {
  it.each([
    ["*", "anything.do", true],
    ["*.acme.com", "crm.acme.com", true],
    ["*.acme.com", "a.b.acme.com/tenant", true],
    ["*.acme.com", "acme.com", false],
    ["*.acme.com", "crm.acme.com.evil.io", false],
    ["crm.acme.com", "crm.acme.com", true],
    ["crm.acme.com", "crm.acme.com/tenant-1", true],
    ["crm.acme.com", "crm.acme.community", false],
    ["startup.do/*", "startup.do/t1", true],
    ["startup.do/*", "startup.do", false],
  ])("%s covers %s: %s", (pattern, id, expected) => {
    expect(scopeCovers(pattern, id)).toBe(expected);
  });

  it("reads space-separated and array claims", () => {
    expect(scopesOf("a.do  *.b.com")).toEqual(["a.do", "*.b.com"]);
    expect(scopesOf(["a.do", 3])).toEqual(["a.do"]);
    expect(scopesOf(undefined)).toEqual([]);
  });
});

describe("event patterns", () => {
  it.each([
    ["Customer.created", "Customer.created", true],
    ["Customer.*", "Customer.created", true],
    ["*.created", "Customer.created", true],
    ["*", "Anything.at.all", true],
    ["Customer.*", "Order.created", false],
    ["*.created", "Customer.deleted", false],
    ["Customer.created", "Customer.created.late", false],
  ])("%s matches %s: %s", (pattern, name, expected) => {
    expect(matchesEvent(pattern, name)).toBe(expected);
  });

  it("lists matching handlers in declaration order", () => {
    expect(matchingHandlers(["Order.*", "Customer.created", "*.created", "*"], "Customer.created")).toEqual([1, 2, 3]);
  });
});
