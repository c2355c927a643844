import { describe, expect, it } from 'vitest';
import { faceCropStyle } from './face-crop';

describe('face crops', () => {
  it('scales the photo so the face square fills the frame and centres the face', () => {
    // A 100×100 face at (450, 250) in a 1000×600 photo: the square is 150 px, centred on (500, 300).
    expect(faceCropStyle([450, 250, 100, 100], { width: 1000, height: 600 })).toEqual({
      width: '666.6666666666667%',
      height: '400%',
      left: '-283.33333333333337%',
      top: '-150%',
    });
  });

  it('slides the square inside the photo for a face at its edge, so no empty corner shows', () => {
    // A face in the bottom-right corner: the 150 px square ends exactly at the photo's edges.
    expect(faceCropStyle([920, 520, 100, 100], { width: 1000, height: 600 })).toMatchObject({ left: '-566.6666666666667%', top: '-300%' });
    // A box that reaches past the top-left corner starts at 0.
    expect(faceCropStyle([-20, -30, 100, 100], { width: 1000, height: 600 })).toMatchObject({ left: '0%', top: '0%' });
  });
});
