// What the editor's extensions ask of the page, given once when the editor is built (it is built
// once per memo) and kept current by the page: its mode and what to call back.

export class EditorCallbacks {
  suggesting = false;
  onModeChange: ((suggesting: boolean) => void) | undefined;
  onSuggestionRefused: (() => void) | undefined;

  update(values: Partial<Pick<EditorCallbacks, "suggesting" | "onModeChange" | "onSuggestionRefused">>): void {
    Object.assign(this, values);
  }
}
