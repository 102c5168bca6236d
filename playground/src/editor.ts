/**
 * The program editor: CodeMirror 6 with JSON highlighting, the schema's autocomplete and hover docs
 * (schema-assist.ts), and our own program validation as the linter (program-check.ts), so the underlines say what
 * `parseProgram`, and so the API, would say.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, foldGutter, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { linter, lintGutter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, hoverTooltip, keymap, lineNumbers, type Tooltip } from '@codemirror/view';
import { checkProgramText, type ProgramCheck } from './program-check.js';
import { programCompletions, programHoverInfo } from './schema-assist.js';

/** The hover tooltip: the field's path and its documentation. */
function programHover(view: EditorView, pos: number): Tooltip | null {
  const hover = programHoverInfo(view.state.doc.toString(), pos);
  if (!hover) return null;
  return {
    pos: hover.from,
    end: hover.to,
    above: true,
    create: () => {
      const dom = document.createElement('div');
      dom.className = 'schema-hover';
      dom.setAttribute('role', 'tooltip');
      const title = document.createElement('strong');
      title.textContent = hover.path;
      const body = document.createElement('p');
      body.textContent = hover.info;
      dom.append(title, body);
      return { dom };
    },
  };
}

/** The editor and how to read and replace its text. */
export interface ProgramEditor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  /** Moves the cursor to an offset and focuses the editor (a problem of the list, clicked). */
  reveal(offset: number): void;
}

/**
 * Creates the editor in `parent`; `onCheck` hears every check of the text (after each pause in typing).
 *
 * @example const editor = createProgramEditor(document.getElementById('editor')!, text, (check) => render(check));
 */
export function createProgramEditor(parent: HTMLElement, text: string, label: string, onCheck: (check: ProgramCheck) => void): ProgramEditor {
  const programLinter = linter(
    (view): Diagnostic[] => {
      const check = checkProgramText(view.state.doc.toString());
      onCheck(check);
      const length = view.state.doc.length;
      return check.problems.map((p) => ({ from: Math.min(p.from, length), to: Math.min(Math.max(p.to, p.from), length), severity: 'error', message: p.message, source: p.pointer || '/' }));
    },
    { delay: 300 },
  );
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        foldGutter(),
        lintGutter(),
        history(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        json(),
        programLinter,
        autocompletion({ override: [programCompletions], activateOnTyping: true }),
        hoverTooltip(programHover),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-label': label }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText: (next) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } }),
    reveal: (offset) => {
      view.dispatch({ selection: { anchor: Math.min(offset, view.state.doc.length) }, scrollIntoView: true });
      view.focus();
    },
  };
}
