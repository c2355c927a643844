/** The face whose box centre is nearest the image centre (how LFW picks its labelled person). */
export function centredFaceIndex(boxes: readonly (readonly [number, number, number, number])[], width: number, height: number): number {
  let best = -1;
  let bestDistance = Infinity;
  boxes.forEach(([x, y, w, h], i) => {
    const distance = Math.hypot(x + w / 2 - width / 2, y + h / 2 - height / 2);
    if (distance < bestDistance) [best, bestDistance] = [i, distance];
  });
  return best;
}
