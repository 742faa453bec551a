// What the local runtime uses (Linux /proc): CPU time and resident memory of the workerd processes under a process,
// not of the Node processes that start them. The supervisor reads it to find an idle runtime; the bench, its memory.
import { readFileSync, readdirSync } from "node:fs";

// Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux).
const TICK_MS = 10;

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

function workerdUnder(pid: number): number[] {
  const found: number[] = [];
  for (let queue = [pid]; queue.length; ) {
    const next = queue.shift()!;
    try {
      if (readFileSync(`/proc/${next}/comm`, "utf8").trim() === "workerd") found.push(next);
    } catch {
      continue;
    }
    queue.push(...children(next));
  }
  return found;
}

/** CPU milliseconds used so far and resident MB now, summed over every workerd process under `pid`. */
export function runtimeUsage(pid: number): { cpuMs: number; rssMb: number } {
  let cpuMs = 0;
  let rssKb = 0;
  for (const each of workerdUnder(pid)) {
    try {
      const stat = readFileSync(`/proc/${each}/stat`, "utf8");
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpuMs += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
      const line = readFileSync(`/proc/${each}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
      rssKb += Number(line?.split(/\s+/)[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return { cpuMs, rssMb: rssKb / 1024 };
}
