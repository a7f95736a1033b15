/// <reference lib="dom" />
/**
 * The "check your code" panel's editor, loaded only when a reader opens a panel: CodeMirror 6 with TypeScript's
 * syntax. It sets one global the panel's script (check-panel.ts) reads.
 */
import { javascript } from "@codemirror/lang-javascript";
import { basicSetup, EditorView } from "codemirror";

export interface MountedEditor {
  get(): string;
  set(text: string): void;
}

function mount(parent: HTMLElement, doc: string, label: string): MountedEditor {
  const view = new EditorView({
    doc,
    parent,
    extensions: [
      basicSetup,
      javascript({ typescript: true }),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ "aria-label": label }),
    ],
  });
  return {
    get: () => view.state.doc.toString(),
    set: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
  };
}

(globalThis as unknown as { PGBOOK_EDITOR: { mount: typeof mount } }).PGBOOK_EDITOR = { mount };
