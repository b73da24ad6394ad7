// <tessera-card>'s shadow styles: adopted as a constructable stylesheet, so a strict style-src on
// the host page holds. Written compact on purpose: the minifier leaves a css`` template as it is,
// and the loader's budget (12 KB) counts every byte.
import { css } from 'lit'

export const cardStyles = css`:host{display:block}:host([hidden]){display:none}iframe{display:block;width:100%;height:150px;border:0;margin:0;padding:0;background:transparent;color-scheme:normal}.unavailable{margin:0;padding:4px 0;font:inherit;color:inherit}`
