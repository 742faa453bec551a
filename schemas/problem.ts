// The RFC 9457 problem body every edge answers errors with, and the located issue it carries.
import { z } from "zod";

/** One located problem: where (JSON pointer, optionally file/line/column), what (stable code) and why. */
export const IssueSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
});
export type Issue = z.infer<typeof IssueSchema>;

/** `application/problem+json` body: `code` is stable kebab-case, `errors` lists every issue at once. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  detail: z.string(),
  errors: z.array(IssueSchema).optional(),
  candidates: z.array(z.string()).optional(),
  requestId: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;
