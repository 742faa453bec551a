// Open sockets of a process tree (Linux /proc): how the soak test sees a server leaking connections.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

function processGroup(pgid: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        // Field 5 of /proc/<pid>/stat is the process group; the command name (field 2) may hold spaces.
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) === pgid;
      } catch {
        return false;
      }
    });
}

/** The number of open socket descriptors across every process of a process group. */
export function openSockets(pgid: number): number {
  let sockets = 0;
  for (const pid of processGroup(pgid)) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) sockets++;
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // process gone
    }
  }
  return sockets;
}
