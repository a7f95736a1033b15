/** markdown-it plugins that ship no types. */
declare module "markdown-it-texmath" {
  import type MarkdownIt from "markdown-it";
  const texmath: MarkdownIt.PluginWithOptions<{ engine: unknown; delimiters?: string | string[]; katexOptions?: Record<string, unknown> }>;
  export default texmath;
}
declare module "markdown-it-container" {
  import type MarkdownIt from "markdown-it";
  const container: MarkdownIt.PluginWithParams;
  export default container;
}
