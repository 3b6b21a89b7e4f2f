"use client";

import type { ComparedPart, VersionComparison } from "./historyApi";

type Block = ComparedPart[];

/** Splits the diff's runs into paragraphs (the texts separate blocks with blank lines). */
function blocksOf(parts: ComparedPart[]): Block[] {
  const blocks: Block[] = [[]];
  for (const part of parts) {
    const pieces = part.text.split("\n\n");
    pieces.forEach((piece, index) => {
      if (index > 0) blocks.push([]);
      if (piece) blocks[blocks.length - 1].push({ ...part, text: piece });
    });
  }
  return blocks.filter((block) => block.length > 0);
}

const versionLabel = (version: VersionComparison["from"]) =>
  `version ${version.number}${version.name ? ` “${version.name}”` : ""}`;

/** Two versions side by side in one text: insertions and deletions marked by colour and by line. */
export function VersionCompare({ comparison }: { comparison: VersionComparison }) {
  const authors = [...new Set(comparison.parts.flatMap((part) => part.authors ?? []))];
  return (
    <div className="compare">
      <p className="compare-summary" data-testid="compare-summary">
        From {versionLabel(comparison.from)} to {versionLabel(comparison.to)}: <strong>{comparison.wordsAdded}</strong>{" "}
        word
        {comparison.wordsAdded === 1 ? "" : "s"} added, <strong>{comparison.wordsRemoved}</strong> removed
        {comparison.sectionsChanged.length > 0
          ? `; sections changed: ${comparison.sectionsChanged.join(", ")}`
          : "; no section changed"}
        .
      </p>
      <p className="compare-legend" aria-hidden="true">
        <ins className="diff-added">added</ins> <del className="diff-removed">removed</del>
        {authors.length > 0 && <span> · new words by {authors.join(", ")} (hover a change for its author)</span>}
      </p>
      <div className="compare-text memo-body" data-testid="compare-text">
        {blocksOf(comparison.parts).map((block, index) => (
          <p key={index}>
            {block.map((part, partIndex) =>
              part.kind === "added" ? (
                <ins
                  key={partIndex}
                  className="diff-added"
                  title={part.authors?.length ? `Added by ${part.authors.join(", ")}` : "Added"}
                >
                  <span className="visually-hidden">[added: </span>
                  {part.text}
                  <span className="visually-hidden">]</span>
                </ins>
              ) : part.kind === "removed" ? (
                <del key={partIndex} className="diff-removed" title="Removed">
                  <span className="visually-hidden">[removed: </span>
                  {part.text}
                  <span className="visually-hidden">]</span>
                </del>
              ) : (
                <span key={partIndex}>{part.text}</span>
              ),
            )}
          </p>
        ))}
      </div>
    </div>
  );
}
