/**
 * The style of the live figures' controls, added to the page by the page script (the controls exist only
 * with JavaScript). One column on a phone, two or three side by side on a desktop; nothing wider than the
 * figure. Colours are the site's (style.css), with fallbacks.
 */
export const LIVE_STYLE = `
.live-panel { margin-top: 0.6rem; font-family: var(--ui-font, system-ui, sans-serif); font-size: 0.85rem; }
.live-status { margin: 0 0 0.5rem; padding: 0.35rem 0.6rem; border-left: 3px solid var(--held, #1e7a3c);
  background: var(--soft, #f5f7f8); overflow-wrap: anywhere; line-height: 1.45; }
.live-status[data-state="yours"] { border-left-color: #c77d00; }
.live-status[data-state="busy"] { border-left-color: var(--link, #1f5fa0); }
.live-status[data-state="error"] { border-left-color: var(--fail, #b3261e); background: var(--fail-bg, #fdecea); }
.live-controls { display: grid; gap: 0.3rem 1.4rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 16rem), 1fr)); }
.live-control { display: grid; grid-template-columns: minmax(5.5rem, 7rem) minmax(0, 1fr) 4.2rem;
  align-items: center; gap: 0.5rem; min-width: 0; }
.live-control.live-seed, .live-control.live-choice { grid-template-columns: minmax(5.5rem, 7rem) minmax(0, 1fr); }
.live-control input, .live-control select { min-width: 0; width: 100%; margin: 0; font: inherit; }
.live-control input[type="text"] { padding: 0.15rem 0.35rem; border: 1px solid var(--line, #dde3e7); border-radius: 4px; }
.live-control input:invalid { border-color: var(--fail, #b3261e); }
.live-control output { text-align: right; font-variant-numeric: tabular-nums; }
.live-control.changed output, .live-control.changed .live-name { font-weight: 600; }
.live-reset { margin-top: 0.5rem; font: inherit; padding: 0.2rem 0.7rem; cursor: pointer; }
.live-reset:disabled { cursor: default; }
.live-figure[aria-busy="true"] .live-plot { opacity: 0.5; transition: opacity 0.2s; }
`;
