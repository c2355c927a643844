import { describe, expect, it } from 'vitest';
import { faceCropStyle } from './face-crop';

describe('face crops', () => {
  it('scales the photo so the face square fills the frame and centres the face', () => {
    // A 100×100 face at (450, 250) in a 1000×600 photo: the square is 150 px, centred on (500, 300).
    expect(faceCropStyle([450, 250, 100, 100], { width: 1000, height: 600 })).toEqual({ width: '666.6666666666667%', height: '400%', left: '-283.33333333333337%', top: '-150%' });
  });
});
