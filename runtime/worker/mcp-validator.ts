// The MCP server validates JSON Schemas only for what it asks the client (elicitation), which objects.do never does.
// Its default validator (ajv) compiles schemas to code, which workerd forbids: this one refuses instead of compiling.
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";

export const unusedValidator: jsonSchemaValidator = {
  getValidator: () => () => ({ valid: false, data: undefined, errorMessage: "objects.do asks clients nothing that needs validating" }),
};
