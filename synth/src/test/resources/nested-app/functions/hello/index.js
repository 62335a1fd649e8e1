'use strict';
// The nested stack's function: answers with its version, which the tests edit to see a hot-swap land.
exports.handler = async () => ({ version: 'hello-v1' });
