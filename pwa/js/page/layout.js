// The tab bar's and the update banner's real heights, as CSS variables: app.css keeps a focused
// control clear of them (scroll-padding) and the banner above the tabs, at any text size.
const watched = { tabs: "--tabs-height", banner: "--banner-height" };

const heights = new ResizeObserver((entries) => {
  for (const { target, borderBoxSize } of entries) {
    const height = target.hidden ? 0 : borderBoxSize[0].blockSize;
    document.documentElement.style.setProperty(watched[target.id], `${Math.ceil(height)}px`);
  }
});

for (const id of Object.keys(watched)) heights.observe(document.getElementById(id));

// The clinic's name keeps to one line in the header; the whole of it is in its title.
const clinic = document.getElementById("clinic");
new MutationObserver(() => { clinic.title = clinic.textContent; }).observe(clinic, { childList: true, characterData: true, subtree: true });
