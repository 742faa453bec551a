// Routes of an object's rollout: `GET /<id>/rollout` and `POST /<id>/rollout/{pause,resume,promote,abort}`. Thin.
import { ObjectsError, parseJsonText, readLimitedText, type SurfaceOf } from "../../core/index.ts";
import { RolloutCommandBodySchema } from "../../schemas/index.ts";
import type { Authenticator } from "../http/auth.ts";
import { jsonResponse } from "../http/json.ts";
import type { RolloutAction, RolloutService } from "../rollouts/rollout-service.ts";
import type { SurfaceHandler } from "./objects.ts";

const ACTIONS: Record<Extract<SurfaceOf<"control">, `rollout${string}`>, RolloutAction | null> = {
  rollout: null,
  rolloutPause: "pause",
  rolloutResume: "resume",
  rolloutPromote: "promote",
  rolloutAbort: "abort",
};

export function rolloutRoutes(mount: (name: SurfaceOf<"control">, handler: SurfaceHandler) => void, rollouts: RolloutService, auth: Authenticator): void {
  for (const [surface, action] of Object.entries(ACTIONS) as Array<[keyof typeof ACTIONS, RolloutAction | null]>) {
    mount(surface, async (c) => {
      const { id, ref } = c.var.object;
      if (ref !== undefined) throw new ObjectsError("ref-not-writable", `a rollout belongs to ${id} itself, not to a ref`);
      const principal = await auth.authenticate(c.req.raw);
      auth.authorize(principal, id);
      if (action === null) return jsonResponse(await rollouts.status(id));
      const text = await readLimitedText(c.req.raw, 4096, "the rollout body");
      const parsed = RolloutCommandBodySchema.safeParse(text.trim() === "" ? {} : parseJsonText(text, "the rollout body"));
      if (!parsed.success) throw new ObjectsError("rollout-body-invalid", 'a rollout command body is empty or {"reason": "…"}');
      return jsonResponse({ id, rollout: await rollouts.command(id, action, principal.subject, parsed.data.reason) });
    });
  }
}
