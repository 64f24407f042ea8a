export { WrapUpCode, WrapUpCodeArgs } from "./resource";
export { wrapUpCodeProvider } from "./provider";
export { checkWrapUpCode, WrapUpCodeInputs, WrapUpCodeState } from "./schema";
export { diffWrapUpCode } from "./diff";
export { toWire as wrapUpCodeToWire, fromWire as wrapUpCodeFromWire } from "./wire";
