/** `require('electron')` as a preload sees it: the renderer half of the stand-in in electron.cjs. */
module.exports = require('./electron.cjs').__standIn.rendererSide;
