// `objects versions <id>`, `objects rollback <id> <ref>`, `objects promote <id> <ref>`: an object's history, and
// moving `latest` within it (each move prints what it changes in the contract).
// definitions/contract/ alone, not all of definitions/: this command starts without the compiler's modules.
import { diffHeadline, diffLines, type ContractDiff } from "../../definitions/contract/index.ts";
import type { HistoryResponse, MoveResponse, ReleaseResponse } from "../../schemas/index.ts";
import { objectPath, request } from "../api.ts";
import type { Command, CommandContext } from "../command.ts";
import { table } from "../output.ts";
import { requireToken, serverUrl } from "../settings.ts";


const api = (values: CommandContext["values"]) => ({ url: serverUrl(values.url as string | undefined), token: requireToken() });

export const versions: Command = {
  usage: "versions <id>",
  summary: "every publication of an object, newest first: hash, version, refs, where it came from",
  required: 1,
  async run({ positionals, values, out }) {
    const history = await request<HistoryResponse>(api(values), "GET", `${objectPath(positionals[0]!)}/versions`);
    const rows = history.publications.map((p) => {
      const where = p.provenance.commit ? `${p.provenance.repo ?? ""}@${p.provenance.commit.slice(0, 7)}` : (p.provenance.actor ?? p.provenance.source);
      const current = history.refs.latest === p.hash ? "*" : " ";
      return [`${current}${p.seq}`, p.provenance.at.replace(/\.\d+Z$/, "Z"), p.hash.slice(0, 12), p.version ? `v${p.version}` : "-", p.refs.join(",") || "-", where, (p.provenance.author ?? "").replace(/ <.*>$/, ""), (p.provenance.message ?? "").split("\n")[0]!.slice(0, 60)];
    });
    const quarantined = Object.entries(history.quarantined ?? {}).map(([hash, q]) => `quarantined ${hash.slice(0, 12)}: ${q.reason}${q.what ? ` (${q.what})` : ""}; objects release ${history.id} ${hash.slice(0, 12)}`);
    out.result([...table([[" seq", "at", "hash", "version", "refs", "from", "author", "message"], ...rows]), ...quarantined], history);
  },
};


const moveLines = (verb: string, move: MoveResponse) => [
  `${move.id}: latest ${move.previous?.slice(0, 12) ?? "(none)"} → ${move.latest.slice(0, 12)} (${verb})`,
  `contract: ${diffHeadline(move.diff)}`,
  ...diffLines(move.diff).map((line) => `  ${line}`),
];

export const rollback: Command = {
  usage: "rollback <id> <ref>",
  summary: "serve an earlier version at latest (a version, a commit sha, a hash)",
  required: 2,
  async run({ positionals, values, out }) {
    const move = await request<MoveResponse>(api(values), "POST", `${objectPath(positionals[0]!)}/rollback`, { to: positionals[1] });
    out.result(moveLines(`rolled back to ${positionals[1]}`, move), move);
  },
};

export const promote: Command = {
  usage: "promote <id> <ref>",
  summary: "serve at latest what a preview (pr-42), branch or version holds",
  required: 2,
  async run({ positionals, values, out }) {
    const move = await request<MoveResponse>(api(values), "POST", `${objectPath(positionals[0]!)}/promote`, { from: positionals[1] });
    out.result(moveLines(`promoted ${positionals[1]}`, move), move);
  },
};

export const release: Command = {
  usage: "release <id> [ref|hash]",
  summary: "let a quarantined version (the one latest serves by default) run again",
  required: 1,
  async run({ positionals, values, out }) {
    const [id, named = "latest"] = positionals as [string, string?];
    // A full hash names itself; anything shorter is a ref (a version, a commit sha, a hash prefix).
    const body = /^[0-9a-f]{64}$/.test(named) ? { hash: named } : { ref: named };
    const released = await request<ReleaseResponse>(api(values), "POST", `${objectPath(id)}/release`, body);
    out.result(`${released.id}: ${released.hash.slice(0, 12)} released, it runs again`, released);
  },
};
