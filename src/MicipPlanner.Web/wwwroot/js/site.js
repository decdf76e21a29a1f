// Site-wide behaviour. Feature scripts live beside it in wwwroot/js/.
