// The Worker under benchmark: objects.do unchanged, plus the baseline a definition is measured against —
// the same method hand-written in a static Durable Object, reached the same way (Worker → DO over RPC).
import { DurableObject } from "cloudflare:workers";
import worker, { ConnectionsDO, HostnamesDO, LimiterDO, ObjectDO, ObjectIndexDO, RefsDO, RepoDO, SourceDO } from "../worker.ts";

export { ConnectionsDO, HostnamesDO, LimiterDO, ObjectDO, ObjectIndexDO, RefsDO, RepoDO, SourceDO };

export class StaticGreeterDO extends DurableObject {
  hello(name: string): string {
    return `Hello ${name}!`;
  }
}

interface BenchEnv extends Env {
  STATIC_GREETER: DurableObjectNamespace<StaticGreeterDO>;
}

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/__bench/static/rpc") {
      const { params } = (await request.json()) as { params: [string] };
      const stub = env.STATIC_GREETER.get(env.STATIC_GREETER.idFromName("static"));
      return new Response(`${JSON.stringify({ result: await stub.hello(...params) })}\n`, { headers: { "content-type": "application/json" } });
    }
    return worker.fetch(request, env, ctx);
  },
  queue: worker.queue,
  scheduled: worker.scheduled,
} satisfies ExportedHandler<BenchEnv, never>;
