/**
 * API profiles: the wire format of each API a stack may speak, behind one small interface per object (seam.ts).
 * The profile is chosen once, when the provider is configured (`genesys:apiProfile`, default `platform`).
 */
export type { ApiProfile, Call, CodesApi, DesiredCode, KnownCode, MembershipApi, StoredCode } from "./seam";
export {
  API_PROFILES,
  DEFAULT_API_PROFILE,
  codeTraits,
  isApiProfile,
  type ApiProfileName,
  type CodeField,
  type CodeTraits,
} from "./traits";
export { platformProfile } from "./platform";
export { tutorialProfile } from "./tutorial";
