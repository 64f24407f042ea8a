/**
 * Organisations made by hand, for the platform emulator's seed (`wrapupCodes`, docs/emulator.md): what an
 * organisation that never used this product looks like. Deterministic: the same arguments give the same seed.
 * Used by test/cli/export.test.ts and bench/export.ts.
 */

/** One hand-made code as the emulator's seed takes it. */
export interface SeedCode {
  readonly name: string;
  readonly description?: string;
  /** A division name (default: Home). */
  readonly division?: string;
  /** Queue names. */
  readonly queues: readonly string[];
}

const VERBS = ["Callback", "Refund", "Escalation", "Payment", "Order", "Account", "Contract", "Delivery", "Invoice"];
const OBJECTS = ["Requested", "Issued", "Declined", "Closed", "Pending", "Confirmed", "Resolved", "Abandoned"];

/**
 * `count` codes on `queues` (queue names): one in ten on no queue, half on one queue, three in ten on two, one in
 * ten on four; every third with a description, every eleventh in the division "Europe". Names read like an admin's
 * ("Refund Declined", "Outcome 0042"), all of them acceptable to the product's rules.
 */
export function handMadeCodes(count: number, queues: readonly string[]): SeedCode[] {
  const names: string[] = [];
  for (const verb of VERBS) for (const object of OBJECTS) names.push(`${verb} ${object}`);
  const codes: SeedCode[] = [];
  for (let i = 0; i < count; i++) {
    const name = i < names.length ? names[i] : `Outcome ${String(i - names.length + 1).padStart(4, "0")}`;
    const k = i % 10;
    const on = k === 0 ? 0 : k <= 5 ? 1 : k <= 8 ? 2 : 4;
    const picked = new Set<string>();
    for (let j = 0; j < on; j++) picked.add(queues[(i * 7 + j * 5) % queues.length]);
    codes.push({
      name,
      ...(i % 3 === 0 ? { description: `Made in the admin UI (${i})` } : {}),
      ...(i % 11 === 0 ? { division: "Europe" } : {}),
      queues: [...picked],
    });
  }
  return codes;
}

/** Twelve queue names of a contact centre. */
export const TWELVE_QUEUES = [
  "Support",
  "Sales",
  "Billing",
  "Retention",
  "Technical Support",
  "Collections",
  "Onboarding",
  "Returns",
  "VIP",
  "Complaints",
  "Outbound",
  "Back Office",
];
