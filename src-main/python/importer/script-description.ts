/**
 * What read_script.py reports about a caproto script (Python's None arrives as undefined). Line numbers are
 * 1-based; `code` is an item's exact source with its leading comments, dedented to the item's own column.
 */

/** A block an exported script marks as verbatim; `code` is what lies between its marker comments. */
export interface MarkedVerbatim {
  readonly kind: 'verbatim'
  readonly review: boolean
  readonly note?: string
}

/** An argument: its source text, its value when it is a literal, its dotted name when it is one. */
export interface ScriptArgument {
  readonly source: string
  readonly value?: unknown
  /** The literal's Python type ('int', 'float', 'str', 'bool', 'bytes' (value: a list of ints), 'list'…). */
  readonly pyType?: string
  /** For a non-empty list: the Python type of its first item (what caproto infers a dtype from). */
  readonly itemType?: string
  readonly ref?: string
}

export interface ScriptCall {
  /** Dotted name of the called function ('pvproperty', 'SubGroup'…), undefined for anything fancier. */
  readonly function?: string
  readonly positional: readonly ScriptArgument[]
  readonly keywords: Readonly<Record<string, ScriptArgument>>
  /** `**kwargs` arguments, as source. */
  readonly unpacked: readonly string[]
}

export interface ScriptFunction {
  readonly name: string
  readonly isAsync: boolean
  readonly params: readonly string[]
  /** No *args, **kwargs, keyword-only parameters or defaults. */
  readonly simpleParams: boolean
  /** The body, dedented, with its comments. */
  readonly body: string
}

interface ItemBase {
  /** The statement's first line (its first decorator). */
  readonly line: number
  /** First and last line of the item's region: leading comments and trailing body comments included. */
  readonly start: number
  readonly end: number
  readonly code: string
  /** Comment lines just above the item. */
  readonly comments: readonly string[]
}

export type HookKind = 'putter' | 'getter' | 'startup' | 'shutdown' | 'scan'

export type ClassMember =
  | (ItemBase & ScriptCall & { readonly kind: 'pv'; readonly attr: string; readonly autosave: boolean })
  | (ItemBase &
      ScriptFunction & {
        readonly kind: 'hook'
        /** The pvproperty the decorator names. */
        readonly target: string
        readonly hook: HookKind
        /** The decorator's call, for `@pv.scan(…)`. */
        readonly scanArgs?: ScriptCall
      })
  | (ItemBase & ScriptCall & { readonly kind: 'subgroup'; readonly attr: string })
  | (ItemBase &
      ScriptCall & { readonly kind: 'subgroup-class'; readonly attr: string; readonly class: ScriptClass })
  | (ItemBase & ScriptFunction & { readonly kind: 'ainit' })
  | (ItemBase & {
      readonly kind: 'code'
      /** For `name = <expression>`. */
      readonly attr?: string
      readonly assigned?: ScriptArgument
      readonly call?: ScriptCall
    })
  | (ItemBase & MarkedVerbatim)

export interface ScriptClass {
  readonly name: string
  readonly line: number
  readonly bases: readonly string[]
  /** Class keywords such as `metaclass=…`, as source. */
  readonly keywords: readonly string[]
  readonly doc?: string
  readonly code: string
  readonly members: readonly ClassMember[]
  readonly trailingComments: readonly string[]
}

export interface ScriptImport {
  /** `from <module> import …`; undefined for `import a, b`. */
  readonly module?: string
  readonly names: readonly string[]
  readonly aliases: readonly (string | undefined)[]
}

export interface MainStatement {
  readonly line: number
  readonly start: number
  readonly end: number
  readonly code: string
  readonly comments: readonly string[]
  readonly call?: ScriptCall
  readonly targets?: readonly string[]
  readonly import?: ScriptImport
  /** A marked verbatim block in the block (kept as written, like any statement it cannot read). */
  readonly kind?: 'verbatim'
}

export type ModuleItem =
  | (ItemBase & ScriptImport & { readonly kind: 'import' })
  | (ItemBase & { readonly kind: 'class'; readonly class: ScriptClass })
  | (ItemBase & {
      readonly kind: 'main'
      readonly main: { readonly line: number; readonly statements: readonly MainStatement[] }
    })
  | (ItemBase & {
      readonly kind: 'code'
      /** For an assignment: its targets' source and the assigned expression. */
      readonly targets?: readonly string[]
      readonly assigned?: ScriptArgument
      readonly call?: ScriptCall
    })
  | (ItemBase & MarkedVerbatim)

export interface ScriptDescription {
  readonly doc?: string
  readonly shebang?: string
  readonly items: readonly ModuleItem[]
  readonly trailingComments: readonly string[]
}

/** Where Python's compile() stopped (1-based line and column). */
export interface SyntaxProblem {
  readonly line: number
  readonly column: number
  readonly message: string
}
