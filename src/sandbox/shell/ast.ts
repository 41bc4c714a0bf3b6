/** The syntax tree of the bash subset the sandbox shell understands. */

export type WordPart =
  | { t: 'lit'; v: string; quoted: boolean }
  | { t: 'param'; name: string; op?: ':-' | '-' | ':=' | ':+' | '#' | '%' | '%%' | '##' | 'len'; arg?: Word; quoted: boolean }
  | { t: 'cmd'; script: List; quoted: boolean }
  | { t: 'arith'; expr: string; quoted: boolean }
  /** Process substitution <(list): expands to a path (/dev/fd/63, …) holding the list's output. */
  | { t: 'procsub'; script: List; quoted: boolean };

export type Word = WordPart[];

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<<' | '<<<' | '&>';
  target?: Word;
  heredoc?: { body: string; expand: boolean };
}

export interface SimpleCommand {
  type: 'simple';
  assigns: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
}

export interface ForCommand {
  type: 'for';
  variable: string;
  items: Word[] | undefined; // undefined: "$@"
  body: List;
  redirects: Redirect[];
}

export interface WhileCommand {
  type: 'while';
  until: boolean;
  condition: List;
  body: List;
  redirects: Redirect[];
}

export interface IfCommand {
  type: 'if';
  branches: { condition: List; body: List }[];
  otherwise?: List;
  redirects: Redirect[];
}

export interface GroupCommand {
  type: 'group';
  subshell: boolean;
  body: List;
  redirects: Redirect[];
}

/** `name() compound` (POSIX) or `function name [()] compound` (bash): defines a shell function. */
export interface FunctionDefinition {
  type: 'function';
  name: string;
  body: Command;
  redirects: Redirect[];
}

export type Command = SimpleCommand | ForCommand | WhileCommand | IfCommand | GroupCommand | FunctionDefinition;

export interface Pipeline {
  negate: boolean;
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
  background: boolean;
}

export interface List {
  items: AndOr[];
}
