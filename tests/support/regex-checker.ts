// Unit tests compile definitions directly: the regex checker the publishing paths load first is loaded here.
import { loadRegexChecker } from "../../definitions/index.ts";

await loadRegexChecker();
