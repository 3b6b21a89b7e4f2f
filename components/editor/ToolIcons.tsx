// Stroke icons for the toolbar (inline SVG: no icon font, no emoji glyphs to depend on).

const Icon = ({ d }: { d: string }) => (
  <svg
    width="16"
    height="16"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="2"
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
  >
    <path d={d} />
  </svg>
);

export const UndoIcon = () => <Icon d="M9 14 4 9l5-5M4 9h11a5 5 0 0 1 0 10h-3" />;
export const RedoIcon = () => <Icon d="m15 14 5-5-5-5M20 9H9a5 5 0 0 0 0 10h3" />;
export const LinkIcon = () => (
  <Icon d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7" />
);
export const QuoteIcon = () => <Icon d="M7 7h4v6H7l-2 4M15 7h4v6h-4l-2 4" />;
export const BulletListIcon = () => <Icon d="M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01" />;
export const NumberedListIcon = () => <Icon d="M10 6h10M10 12h10M10 18h10M4 6h1v4M4 10h2M6 18H4l2-2a1 1 0 0 0-1-2H4" />;
export const CommentIcon = () => (
  <Icon d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.4A8 8 0 1 1 21 12ZM8.5 10.5h7M8.5 14h4.5" />
);
