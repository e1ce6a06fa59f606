// gofeed (Debian package golang-github-mmcdole-gofeed-dev): what a reader
// built on gofeed's universal parser (gofeed.NewParser().Parse) gets.
// Build offline: GO111MODULE=off GOPATH=/usr/share/gocode go build -o gofeed_dump gofeed_dump.go
// usage: gofeed_dump LIST.tsv   (lines: FORMAT<TAB>PATH<TAB>RELPATH) -> JSON lines
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

type item struct {
	Title      string   `json:"title"`
	Link       string   `json:"link"`
	Authors    []string `json:"authors"`
	Images     []string `json:"images"`
	Categories []string `json:"categories"`
	// Updated: UpdatedParsed (RFC 3339, in the offset gofeed parsed); UpdatedRaw: Updated,
	// the element's text; Published: PublishedParsed, to tell an update from the publication.
	Updated    *string `json:"updated"`
	UpdatedRaw string  `json:"updated_raw"`
	Published  *string `json:"published"`
}

func stamp(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.RFC3339Nano)
	return &s
}

type result struct {
	Client string  `json:"client"`
	File   string  `json:"file"`
	Format string  `json:"format"`
	Error  *string `json:"error"`
	Items  []item  `json:"items"`
}

var imgExt = regexp.MustCompile(`(?i)\.(jpe?g|png|gif|webp|avif)(\?|$)`)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) < 3 {
			continue
		}
		res := result{Client: "gofeed " + os.Getenv("GOFEED_VERSION"), File: parts[2], Format: parts[0], Items: []item{}}
		fh, err := os.Open(parts[1])
		if err != nil {
			s := err.Error()
			res.Error = &s
			enc.Encode(res)
			continue
		}
		feed, err := gofeed.NewParser().Parse(fh)
		fh.Close()
		if err != nil {
			s := err.Error()
			res.Error = &s
			enc.Encode(res)
			continue
		}
		for _, it := range feed.Items {
			out := item{Title: it.Title, Link: it.Link, Authors: []string{}, Images: []string{}, Categories: []string{},
				Updated: stamp(it.UpdatedParsed), UpdatedRaw: it.Updated, Published: stamp(it.PublishedParsed)}
			if len(it.Authors) > 0 {
				for _, a := range it.Authors {
					if a != nil && (a.Name != "" || a.Email != "") {
						if a.Name != "" {
							out.Authors = append(out.Authors, a.Name)
						} else {
							out.Authors = append(out.Authors, a.Email)
						}
					}
				}
			} else if it.Author != nil && (it.Author.Name != "" || it.Author.Email != "") {
				out.Authors = append(out.Authors, it.Author.Name+it.Author.Email)
			}
			if it.Image != nil && it.Image.URL != "" {
				out.Images = append(out.Images, it.Image.URL)
			}
			for _, e := range it.Enclosures {
				if e != nil && e.URL != "" && (strings.HasPrefix(e.Type, "image/") || imgExt.MatchString(e.URL)) {
					out.Images = append(out.Images, e.URL)
				}
			}
			// media:content / media:thumbnail, exposed as generic extensions
			if media, ok := it.Extensions["media"]; ok {
				for _, name := range []string{"content", "thumbnail"} {
					for _, ext := range media[name] {
						u := ext.Attrs["url"]
						if u != "" && (name == "thumbnail" || ext.Attrs["medium"] == "image" ||
							strings.HasPrefix(ext.Attrs["type"], "image/") || imgExt.MatchString(u)) {
							out.Images = append(out.Images, u)
						}
					}
				}
			}
			out.Categories = append(out.Categories, it.Categories...)
			res.Items = append(res.Items, out)
		}
		enc.Encode(res)
	}
}
