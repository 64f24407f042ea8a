export { WrapUpCode } from "./resource";
export type { WrapUpCodeArgs } from "./resource";
export { wrapUpCodeProvider } from "./provider";
export { checkWrapUpCode } from "./schema";
export type { WrapUpCodeInputs, WrapUpCodeState } from "./schema";
export { diffWrapUpCode } from "./diff";
export { codeState, desiredCode } from "./state";
