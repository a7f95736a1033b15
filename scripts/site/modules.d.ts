/** markdown-it plugins that ship no types (markdown-it itself ships its own). */
declare module "markdown-it-texmath" {
  import type { MarkdownIt } from "markdown-it";
  /** The plugin: math between `delimiters`, typeset by `engine` (KaTeX here). */
  const texmath: (
    md: MarkdownIt,
    options: { engine: unknown; delimiters?: string | string[]; katexOptions?: Record<string, unknown> },
  ) => void;
  export default texmath;
}
declare module "markdown-it-container" {
  import type { MarkdownIt } from "markdown-it";
  /** The plugin: `::: name …` blocks, a block opening when `validate` accepts the text after the marker. */
  const container: (
    md: MarkdownIt,
    name: string,
    options?: { validate?: (params: string, markup: string) => boolean; marker?: string },
  ) => void;
  export default container;
}
