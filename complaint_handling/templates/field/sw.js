// The inspection field page's service worker (quality/field_page.py): keeps the page's shell, script, style
// and icons, and the photos already seen, so the page opens without a connection. Only GET requests are
// answered from the cache; the changes the page sends go to the network (the page keeps them until they do).
const CACHE = "inspection-field-{{ version }}";
const PHOTOS = "inspection-field-photos";
const CACHED = {{ cached }};
const SHELL = {{ shell }};
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll(CACHED))
			.then(() => self.skipWaiting())
	);
});

self.addEventListener("activate", (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(
					keys
						.filter((key) => key.startsWith("inspection-field-") && key !== CACHE && key !== PHOTOS)
						.map((key) => caches.delete(key))
				)
			)
			.then(() => self.clients.claim())
	);
});

// the network first (a fresh page when there is one), the cached copy when it fails or keeps us waiting
function networkFirst(request, cacheName, key) {
	return caches.open(cacheName).then((cache) => {
		const network = fetch(request).then((response) => {
			if (response.ok) cache.put(key || request, response.clone());
			return response;
		});
		const late = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS)).then(() =>
			cache.match(key || request).then((hit) => hit || network)
		);
		return Promise.race([network.catch(() => cache.match(key || request)), late]).then(
			(response) => response || network
		);
	});
}

self.addEventListener("fetch", (event) => {
	const request = event.request;
	if (request.method !== "GET") return;
	const url = new URL(request.url);
	if (url.origin !== self.location.origin) return;
	if (url.pathname === SHELL) {
		event.respondWith(networkFirst(request, CACHE, SHELL));
	} else if (CACHED.includes(url.pathname + url.search)) {
		event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
	} else if (url.pathname.startsWith("/private/files/") || url.pathname.startsWith("/files/")) {
		// a photo of the inspection: once seen, shown offline too
		event.respondWith(
			caches.open(PHOTOS).then((cache) =>
				cache.match(request).then(
					(hit) =>
						hit ||
						fetch(request).then((response) => {
							if (response.ok) cache.put(request, response.clone());
							return response;
						})
				)
			)
		);
	}
});
