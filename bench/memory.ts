// Resident memory of a server's runtime (Linux /proc): the workerd processes under the server's process tree, not
// the Node processes that start them (npx, tsx, the supervisor).
import { readFileSync, readdirSync } from "node:fs";

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, "utf8")
        .split(" ")
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

function descendants(pid: number): number[] {
  const found: number[] = [];
  for (let queue = [pid]; queue.length; ) {
    const next = queue.shift()!;
    found.push(next);
    queue.push(...children(next));
  }
  return found;
}

const command = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
};

/** Resident set size in MB, summed over every workerd process under `pid`. */
export function runtimeRssMb(pid: number): number {
  let kb = 0;
  for (const each of descendants(pid).filter((p) => command(p) === "workerd")) {
    try {
      const line = readFileSync(`/proc/${each}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
      kb += Number(line?.split(/\s+/)[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return kb / 1024;
}
