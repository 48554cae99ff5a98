import { useState } from 'react';

type DraftInputProps<T> = {
  id: string;
  placeholder?: string;
  spellCheck?: boolean;
  rows?: number;
  'aria-describedby'?: string;
  /** The value when the control first appears (re-key the control to reset it). */
  initial: string;
  /** Turns the text into the value committed on every change. */
  parse: (text: string) => T;
  onCommit: (value: T) => void;
  multiline?: boolean;
};

/**
 * A text control whose text is kept locally and parsed on every change, for values such as
 * comma-separated word lists where re-rendering from the parsed value would fight the typing.
 */
export function DraftInput<T>({
  initial,
  parse,
  onCommit,
  multiline,
  ...rest
}: DraftInputProps<T>) {
  const [text, setText] = useState(initial);
  const change = (value: string) => {
    setText(value);
    onCommit(parse(value));
  };
  return multiline ? (
    <textarea
      {...rest}
      value={text}
      onChange={(e) => {
        change(e.target.value);
      }}
    />
  ) : (
    <input
      {...rest}
      value={text}
      onChange={(e) => {
        change(e.target.value);
      }}
    />
  );
}
