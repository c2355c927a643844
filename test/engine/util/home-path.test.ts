import { describe, expect, it } from 'vitest';
import { homeRelativePath } from '../../../src/engine/util/home-path';

describe('homeRelativePath', () => {
  it('abbreviates the home folder as ~, and only at a folder boundary', () => {
    expect(homeRelativePath('/home/ana/Pictures/Family', '/home/ana')).toBe('~/Pictures/Family');
    expect(homeRelativePath('/home/ana', '/home/ana/')).toBe('~');
    expect(homeRelativePath('/home/anabel/Pictures', '/home/ana')).toBe('/home/anabel/Pictures');
    expect(homeRelativePath('/media/usb/Photos', '/home/ana')).toBe('/media/usb/Photos');
    expect(homeRelativePath('C:\\Users\\ana\\Pictures', 'C:\\Users\\ana')).toBe('~\\Pictures');
    expect(homeRelativePath('/Pictures', '/')).toBe('/Pictures');
  });
});
