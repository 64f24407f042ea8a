/**
 * The rules the user gives for what the platform does not hold (the short `code` and the `category` on the public
 * platform). Nothing else is ever made up: a value is the platform's, the stack's (catalogue or state), or one of these.
 */
import type { CodeRule } from "./options";

/** The product's rule for `code`: 1..128 characters of letters, digits, spaces, `_` and `-` (schema.ts). */
const MAX_CODE = 128;

/** `--code-from name`: "Callback Requested" → `CALLBACK_REQUESTED` (upper case, runs of spaces and `-` one `_`). */
export function codeFromName(name: string): string {
  const code = name
    .toUpperCase()
    .replace(/[\s-]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, MAX_CODE)
    .replace(/_+$/, "");
  return code === "" ? "CODE" : code;
}

/** The code a rule makes for a name. */
export function codeByRule(rule: CodeRule, name: string): string {
  switch (rule) {
    case "name":
      return codeFromName(name);
  }
}

/**
 * Makes rule-made codes unique among every code of the catalogue (reports join on the code: two codes with one
 * `code` would be counted as one). `made` maps an entry key to its rule-made code, `kept` holds the codes the
 * entries already have; entries are served in key order, a code taken gets `_2`, `_3`… Returns the final codes
 * and the keys whose code had to change.
 */
export function uniqueCodes(
  made: ReadonlyMap<string, string>,
  kept: Iterable<string>,
): { codes: Map<string, string>; changed: Set<string> } {
  const taken = new Set([...kept].map((c) => c.toUpperCase()));
  const codes = new Map<string, string>();
  const changed = new Set<string>();
  for (const key of [...made.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const base = made.get(key)!;
    let code = base;
    for (let n = 2; taken.has(code.toUpperCase()); n++) code = `${base.slice(0, MAX_CODE - `_${n}`.length)}_${n}`;
    if (code !== base) changed.add(key);
    taken.add(code.toUpperCase());
    codes.set(key, code);
  }
  return { codes, changed };
}

/**
 * A name the product's rules accept, close to a refused one: accents dropped, every run of other refused characters
 * one space ("Suivi équipement" → "Suivi equipement", "Test/1" → "Test 1"). Undefined when nothing is left.
 */
export function acceptableName(name: string): string | undefined {
  const suggestion = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9 _-]+/g, " ")
    .replace(/ {2,}/g, " ")
    .trim()
    .slice(0, 255)
    .trim();
  return suggestion === "" ? undefined : suggestion;
}
