console.log("gui fixture");
