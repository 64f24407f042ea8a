/** The tutorial's seed key: `dispositionMatrix` (default: sales, support, compliance). */
import { ErrorDetail, FieldError } from "../../errors";
import { isRecord } from "../../model";
import { Seed } from "../../seed";
import { Store } from "../../store";
import { TutorialData } from "./data";
import { DispositionMatrix } from "./model";

export const DEFAULT_MATRIX: DispositionMatrix = {
  sales: ["conversion", "lead", "follow_up"],
  support: ["resolved", "escalation", "callback"],
  compliance: ["voicemail", "no_answer", "wrong_number"],
};

export function validateTutorialSeed(seed: Record<string, unknown>): ErrorDetail[] {
  const d: ErrorDetail[] = [];
  const m = seed.dispositionMatrix;
  if (m === undefined) return d;
  if (!isRecord(m) || Object.keys(m).length === 0)
    return [{ fieldName: "dispositionMatrix", errorCode: FieldError.type }];
  for (const [cat, subs] of Object.entries(m)) {
    if (cat.length === 0 || cat.length > 255)
      d.push({ fieldName: `dispositionMatrix.${cat}`, errorCode: FieldError.length });
    else if (!Array.isArray(subs) || subs.some((s) => typeof s !== "string" || s.length === 0))
      d.push({ fieldName: `dispositionMatrix.${cat}`, errorCode: FieldError.type });
  }
  return d;
}

/** The matrix: the seed's or the default on a fresh data dir; later only when the seed names one. */
export function applyTutorialSeed(store: Store, seed: Seed | undefined, fresh: boolean): void {
  const data = store.data as TutorialData;
  if (fresh) data.setMatrix(seed?.dispositionMatrix ?? structuredClone(DEFAULT_MATRIX));
  else if (seed?.dispositionMatrix) data.setMatrix(seed.dispositionMatrix);
}
