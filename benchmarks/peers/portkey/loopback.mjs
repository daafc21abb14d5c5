// Preloaded into Portkey's gateway (node --import ./loopback.mjs): its start-server.js has no host
// option and listens on every interface; this makes every server it opens listen on 127.0.0.1 only.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
	if (typeof args[0] === 'number') {
		// listen(port), listen(port, undefined, cb) (what @hono/node-server calls), listen(port, cb)
		if (args.length < 2 || args[1] === undefined || args[1] === null) {
			args[1] = '127.0.0.1';
		}
		else if (typeof args[1] === 'function') {
			args.splice(1, 0, '127.0.0.1');
		}
	}
	else if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined && !args[0].host && !args[0].path) {
		args[0] = { ...args[0], host: '127.0.0.1' };
	}
	return listen.apply(this, args);
};
