// Resident memory of a server's runtime: the workerd processes under the server's process tree.
import { runtimeUsage } from "../scripts/runtime-usage.ts";

/** Resident set size in MB, summed over every workerd process under `pid`. */
export const runtimeRssMb = (pid: number): number => runtimeUsage(pid).rssMb;
