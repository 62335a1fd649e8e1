exports.handler = async () => ({ msg: 'hello v2' });
