// Types of scripts/dev-vars.mjs for the TypeScript scripts that import it.
export declare const ROOT: string;
export declare const DEV_VARS: string;
export declare function parseDevVars(text: string): Record<string, string>;
export declare function ensureDevVars(): Record<string, string>;
