au BufRead,BufNewFile *.scn set filetype=scn
